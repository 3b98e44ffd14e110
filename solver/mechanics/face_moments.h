#ifndef OSSIFY_MECHANICS_FACE_MOMENTS_H
#define OSSIFY_MECHANICS_FACE_MOMENTS_H

#include <deal.II/base/point.h>
#include <deal.II/base/tensor.h>

#include <mpi.h>

#include <utility>
#include <vector>

namespace Ossify
{
  /**
   * Area moments of a plane set of faces normal to a coordinate axis (the
   * end of a bone segment, the cortical faces at a gap), and of a
   * displacement field over them. From these follow the best-fit rigid
   * motion of the faces, the traction that carries a moment, and spring
   * densities with a given translational and rotational stiffness.
   *
   * Coordinates: a is the normal axis, (p, q) = (a+1, a+2) mod 3 the
   * in-plane axes, r = x - centroid. Units: mm, N, rad.
   */
  class FaceMoments
  {
  public:
    explicit FaceMoments(unsigned int normal_axis = 2);

    /**
     * The faces are one part of a body symmetric about the plane x[axis] =
     * @p position (a half or quarter model): every point added from now on
     * counts together with its mirror image (and that of its displacement),
     * so that all moments are those of the whole body's faces.
     */
    void add_mirror_plane(unsigned int axis, double position);

    /// Adds one quadrature point at @p x with weight @p JxW, where the
    /// displacement is @p u (and its mirror images, add_mirror_plane()).
    void add(const dealii::Point<3>     &x,
             double                      JxW,
             const dealii::Tensor<1, 3> &u = dealii::Tensor<1, 3>());

    /// Sums the moments of all ranks (collective).
    void sum_over(MPI_Comm communicator);

    unsigned int
    normal_axis() const
    {
      return a;
    }
    double
    area() const
    {
      return measure;
    }
    dealii::Point<3> centroid() const;
    /// I_ij = int r_i r_j dA [mm^4]
    dealii::Tensor<2, 3> second_moment() const;
    /// int u dA / area [mm]
    dealii::Tensor<1, 3> mean_displacement() const;
    /// Rotation vector [rad] of the rigid motion that fits the displacement
    /// best in the least-squares sense: about the normal (twist) and about
    /// the in-plane axes (bending). Zero for degenerate faces.
    dealii::Tensor<1, 3> rotation() const;

    /**
     * Traction [N/mm^2] at @p x (on the faces) that carries the moment
     * @p moment [N mm] about the centroid and no net force: a normal
     * traction linear in r for the in-plane components, a shear traction
     * proportional to e_a x r for the normal one.
     */
    dealii::Tensor<1, 3> moment_traction(const dealii::Tensor<1, 3> &moment,
                                         const dealii::Point<3>     &x) const;

    /**
     * The weight field g_d of the rotation: rotation()[d] = int u . g_d dA
     * for any displacement u on the faces (the geometry part of the fit).
     */
    dealii::Tensor<1, 3> rotation_weight(unsigned int            d,
                                         const dealii::Point<3> &x) const;

    /// Rotational stiffness [N mm/rad] about each axis of springs spread
    /// uniformly over the faces with total stiffness @p k [N/mm] per axis.
    dealii::Tensor<1, 3>
    uniform_spring_rotational_stiffness(const dealii::Tensor<1, 3> &k) const;

  private:
    void add_one(const dealii::Point<3>     &x,
                 double                      JxW,
                 const dealii::Tensor<1, 3> &u);

    unsigned int                                 a, p, q;
    std::vector<std::pair<unsigned int, double>> mirror_planes;
    double                                       measure = 0;
    dealii::Tensor<1, 3>                         first;          ///< int x dA
    dealii::Tensor<2, 3>                         second;         ///< int x x dA
    dealii::Tensor<1, 3>                         displacement;   ///< int u dA
    dealii::Tensor<2, 3>                         displacement_x; ///< int u x dA
  };

} // namespace Ossify

#endif
