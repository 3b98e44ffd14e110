#ifndef OSSIFY_BASE_REGISTRY_H
#define OSSIFY_BASE_REGISTRY_H

#include <deal.II/base/parameter_handler.h>

#include <functional>
#include <map>
#include <memory>
#include <stdexcept>
#include <string>

namespace Ossify
{
  /**
   * Components of one kind (rules, fixations) chosen by name in the input:
   * each registers itself from its own file, with a description, the
   * declaration of its parameter subsection and a factory.
   *
   * Registration happens during static initialisation, in an order the
   * language leaves open, so two components of one name would otherwise
   * depend on link order to decide which one runs. A duplicate is a
   * programming error: add() throws, which ends every start-up of the
   * program with a message naming the kind and the name.
   */
  template <typename Interface>
  class Registry
  {
  public:
    struct Entry
    {
      std::string                                     description;
      std::function<void(dealii::ParameterHandler &)> declare;
      std::function<std::unique_ptr<Interface>(dealii::ParameterHandler &)>
          create;
    };

    /// @p kind names the components in messages, e.g. "mechano-regulation
    /// rule".
    explicit Registry(std::string kind)
        : kind(std::move(kind))
    {
    }

    /// Registers @p entry as @p name; throws std::logic_error if the name
    /// is empty or taken. Returns true, to initialise a static flag.
    bool
    add(const std::string &name, Entry entry)
    {
      if (name.empty())
        throw std::logic_error("Ossify: a " + kind +
                               " was registered without a name");
      if (!entries.emplace(name, std::move(entry)).second)
        throw std::logic_error("Ossify: two " + kind + "s are registered as '" +
                               name + "'; names must be unique");
      return true;
    }

    /// The entry of @p name, or nullptr if there is none.
    const Entry *
    find(const std::string &name) const
    {
      const auto it = entries.find(name);
      return it == entries.end() ? nullptr : &it->second;
    }

    bool
    contains(const std::string &name) const
    {
      return find(name) != nullptr;
    }

    /// The registered names in alphabetical order, joined by @p separator.
    std::string
    names(const std::string &separator = "|") const
    {
      std::string joined;
      for (const auto &entry : entries)
        joined += (joined.empty() ? "" : separator) + entry.first;
      return joined;
    }

    /// Declares each component's parameters in a subsection of its name,
    /// inside the current subsection of @p prm.
    void
    declare_parameters(dealii::ParameterHandler &prm) const
    {
      for (const auto &[name, entry] : entries)
      {
        prm.enter_subsection(name);
        entry.declare(prm);
        prm.leave_subsection();
      }
    }

    /// Creates @p name from its subsection of @p prm; throws
    /// std::out_of_range if there is no such component (callers check
    /// the input first and throw an InputError naming the parameter).
    std::unique_ptr<Interface>
    create(const std::string &name, dealii::ParameterHandler &prm) const
    {
      const Entry *entry = find(name);
      if (entry == nullptr)
        throw std::out_of_range("Ossify: no " + kind + " is registered as '" +
                                name + "'");
      prm.enter_subsection(name);
      auto component = entry->create(prm);
      prm.leave_subsection();
      return component;
    }

    auto
    begin() const
    {
      return entries.begin();
    }

    auto
    end() const
    {
      return entries.end();
    }

    std::size_t
    size() const
    {
      return entries.size();
    }

  private:
    std::string                  kind;
    std::map<std::string, Entry> entries;
  };
} // namespace Ossify

#endif
